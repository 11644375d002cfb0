# Write a function to reflect the run-length encoding from a list.
from itertools import groupby
def encode_list(list1):
    return [[len(list(group)), key] for key, group in groupby(list1)]


# Write a python function to find k number of operations required to make all elements equal.
def min_Ops(arr,n,k): 
    max1 = max(arr) 
    res = 0
    for i in range(0,n):  
        if ((max1 - arr[i]) % k != 0): 
            return -1 
        else: 
            res += (max1 - arr[i]) / k 
    return int(res)


# Write a function to print the season for the given month and day.
def month_season(month,days):
 if month in ('January', 'February', 'March'):
     season = 'winter'
 elif month in ('April', 'May', 'June'):
     season = 'spring'
 elif month in ('July', 'August', 'September'):
     season = 'summer'
 else:
     season = 'autumn'
 if (month == 'March') and (days > 19):
     season = 'spring'
 elif (month == 'June') and (days > 20):
     season = 'summer'
 elif (month == 'September') and (days > 21):
     season = 'autumn'
 elif (month == 'October') and (days > 21):
     season = 'autumn'
 elif (month == 'November') and (days > 21):
     season = 'autumn'
 elif (month == 'December') and (days > 20):
     season = 'winter'
 return season
