# Write a python function to remove odd numbers from a given list.
def remove_odd(l):
    for i in l:
        if i % 2 != 0:
            l.remove(i)
    return l


# Write a function to extract the nth element from a given list of tuples.
def extract_nth_element(list1, n):
    result = [x[n] for x in list1]
    return result


# Write a python function to check whether the value exists in a sequence or not.
def overlapping(list1,list2):  
    c=0
    d=0
    for i in list1: 
        c+=1
    for i in list2: 
        d+=1
    for i in range(0,c): 
        for j in range(0,d): 
            if(list1[i]==list2[j]): 
                return 1
    return 0
