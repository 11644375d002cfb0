# Write a function to find the peak element in the given array.
def find_peak_util(arr, low, high, n): 
    mid = low + (high - low)/2
    mid = int(mid) 
    if ((mid == 0 or arr[mid - 1] <= arr[mid]) and
        (mid == n - 1 or arr[mid + 1] <= arr[mid])): 
        return mid 
    elif (mid > 0 and arr[mid - 1] > arr[mid]): 
        return find_peak_util(arr, low, (mid - 1), n) 
    else: 
        return find_peak_util(arr, (mid + 1), high, n) 
def find_peak(arr, n): 
    return find_peak_util(arr, 0, n - 1, n)


# Write a python function to convert decimal number to octal number.
def decimal_to_Octal(deciNum):
    octalNum = 0
    countval = 1;
    dNo = deciNum;
    while (deciNum!= 0):
        remainder= deciNum % 8;
        octalNum+= remainder*countval;
        countval= countval*10;
        deciNum //= 8; 
    return (octalNum)


# Write a function to find the maximum product formed by multiplying numbers of an increasing subsequence of that array.
def max_product(arr, n ): 
    mpis =[0] * (n) 
    for i in range(n): 
        mpis[i] = arr[i] 
    for i in range(1, n): 
        for j in range(i): 
            if (arr[i] > arr[j] and
                    mpis[i] < (mpis[j] * arr[i])): 
                        mpis[i] = mpis[j] * arr[i] 
    return max(mpis)
